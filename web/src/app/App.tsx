import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { Loading } from '../components/DataState.tsx';
import { userTimeZone } from '../components/Time.tsx';
import { InventoryPage } from '../pages/InventoryPage.tsx';
import { SignInPage } from '../pages/SignInPage.tsx';
import { Link, matchPath, useLocation } from './router.tsx';
import { useSession, useSessionState } from './session.tsx';

// Pages other than the inventory load on first visit, keeping the first page's bundle small.
const ModelPage = lazy(() => import('../pages/ModelPage.tsx').then((m) => ({ default: m.ModelPage })));
const NewModelPage = lazy(() =>
  import('../pages/NewModelPage.tsx').then((m) => ({ default: m.NewModelPage })),
);
const DashboardPage = lazy(() =>
  import('../pages/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })),
);
const FindingsPage = lazy(() =>
  import('../pages/FindingsPage.tsx').then((m) => ({ default: m.FindingsPage })),
);
const ReviewsPage = lazy(() => import('../pages/ReviewsPage.tsx').then((m) => ({ default: m.ReviewsPage })));
const ReviewPage = lazy(() => import('../pages/ReviewPage.tsx').then((m) => ({ default: m.ReviewPage })));
const GatePage = lazy(() => import('../pages/GatePage.tsx').then((m) => ({ default: m.GatePage })));
const AdminPage = lazy(() => import('../pages/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
const ExceptionsReportPage = lazy(() =>
  import('../pages/ExceptionsReportPage.tsx').then((m) => ({ default: m.ExceptionsReportPage })),
);
const AlertsPage = lazy(() =>
  import('../monitoring/AlertsPage.tsx').then((m) => ({ default: m.AlertsPage })),
);
const IncidentsPage = lazy(() =>
  import('../monitoring/IncidentPages.tsx').then((m) => ({ default: m.IncidentsPage })),
);
const IncidentPage = lazy(() =>
  import('../monitoring/IncidentPages.tsx').then((m) => ({ default: m.IncidentPage })),
);
const CompliancePortfolioPage = lazy(() =>
  import('../compliance/CompliancePortfolioPage.tsx').then((m) => ({ default: m.CompliancePortfolioPage })),
);
const WindowPage = lazy(() =>
  import('../monitoring/WindowPage.tsx').then((m) => ({ default: m.WindowPage })),
);
const ReconciliationPage = lazy(() =>
  import('../connectors/ReconciliationPage.tsx').then((m) => ({ default: m.ReconciliationPage })),
);
const ReportPage = lazy(() => import('../pages/ReportPage.tsx').then((m) => ({ default: m.ReportPage })));

interface NavItem {
  to: string;
  label: string;
  show: boolean;
}

/** The signed-in console: navigation by role, then the page for the current path. */
function Shell() {
  const session = useSession();
  const { path } = useLocation();
  const { me, can } = session;
  const nav: NavItem[] = [
    { to: '/dashboard', label: 'Dashboard', show: true },
    { to: '/inventory', label: 'Inventory', show: true },
    { to: '/reviews', label: 'Reviews', show: true },
    { to: '/findings', label: 'Findings', show: true },
    { to: '/gate', label: 'Gate check', show: true },
    { to: '/alerts', label: 'Alerts', show: true },
    { to: '/incidents', label: 'Incidents', show: true },
    { to: '/compliance', label: 'Compliance', show: true },
    // The report spans the portfolio: the roles that read every model (not owners and developers).
    {
      to: '/reports/exceptions',
      label: 'Exception report',
      show: me.role !== 'owner' && me.role !== 'developer',
    },
    { to: '/reconciliation', label: 'Reconciliation', show: can.readReconciliation },
    { to: '/admin', label: 'Admin & audit', show: can.manageUsers || can.viewPolicy || can.readAudit },
  ];
  const current = nav.find((n) => path === n.to || path.startsWith(`${n.to}/`));
  useEffect(() => {
    document.title = `${current?.label ?? 'Assay'} · Assay`;
  }, [current?.label]);
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="sidebar">
        <Link to="/dashboard" className="brand" title="Assay home">
          <span className="brand-mark" aria-hidden="true">
            A
          </span>
          Assay
        </Link>
        <nav className="nav" aria-label="Main">
          {nav
            .filter((n) => n.show)
            .map((n) => (
              <Link key={n.to} to={n.to} aria-current={current?.to === n.to ? 'page' : undefined}>
                {n.label}
              </Link>
            ))}
        </nav>
        <div className="sidebar-foot">
          <div>
            Signed in as <strong>{me.displayName || me.username}</strong>
          </div>
          <div>
            Role: {me.role} · {me.scope} token
          </div>
          <div title="All times are shown in this zone">Times: {userTimeZone}</div>
          <button type="button" onClick={session.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="main" id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="Loading page" />}>{route(path)}</Suspense>
      </main>
    </div>
  );
}

function route(path: string): ReactNode {
  if (path === '/' || path === '/inventory') return <InventoryPage />;
  if (path === '/inventory/new') return <NewModelPage />;
  let m = matchPath('/models/:key', path);
  if (m) return <ModelPage modelKey={m.key!} />;
  m = matchPath('/models/:key/versions/:label/report', path);
  if (m) return <ReportPage modelKey={m.key!} label={m.label!} />;
  m = matchPath('/models/:key/deployments/:deployment/windows/:window', path);
  if (m) return <WindowPage modelKey={m.key!} deploymentId={m.deployment!} windowId={m.window!} />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/findings') return <FindingsPage />;
  if (path === '/compliance') return <CompliancePortfolioPage />;
  if (path === '/reviews') return <ReviewsPage />;
  m = matchPath('/reviews/:id', path);
  if (m) return <ReviewPage reviewId={m.id!} />;
  if (path === '/gate') return <GatePage />;
  if (path === '/alerts') return <AlertsPage />;
  if (path === '/incidents') return <IncidentsPage />;
  m = matchPath('/incidents/:id', path);
  if (m) return <IncidentPage incidentId={m.id!} />;
  if (path === '/reports/exceptions') return <ExceptionsReportPage />;
  if (path === '/reconciliation') return <ReconciliationPage />;
  if (path === '/admin') return <AdminPage />;
  return (
    <div className="panel">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. <Link to="/inventory">Go to the inventory</Link>.
      </p>
    </div>
  );
}

/** The console root: the sign-in page until a token is accepted, then the shell. */
export function App() {
  const { session, restoring } = useSessionState();
  if (restoring) return <Loading what="Restoring your session" />;
  if (!session) return <SignInPage />;
  return <Shell />;
}
