import { useQuery } from '@tanstack/react-query';
import type { PortfolioAnswer } from '../../../src/contracts/compliance.ts';
import { complianceKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { QueryView } from '../components/DataState.tsx';

/** Met share of the applicable requirement statuses (not-applicable ones left out). */
function metShare(c: PortfolioAnswer['coverage'][number]): string {
  const applicable = c.met + c.partlyMet + c.notMet;
  return applicable === 0 ? '–' : `${Math.round((100 * c.met) / applicable)}%`;
}

export function CoverageTable({ coverage }: { coverage: PortfolioAnswer['coverage'] }) {
  return (
    <table className="data" aria-label="Coverage per catalog">
      <thead>
        <tr>
          {['Catalog', 'Met', 'Partly met', 'Not met', 'Not applicable', 'Coverage'].map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {coverage.map((c) => (
          <tr key={c.catalog}>
            <td>
              <Link to={`/compliance?catalog=${c.catalog}`}>{c.catalog}</Link>
            </td>
            <td>{c.met}</td>
            <td>{c.partlyMet}</td>
            <td>{c.notMet}</td>
            <td>{c.notApplicable}</td>
            <td>
              <strong>{metShare(c)}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The dashboard's compliance coverage per catalog, over every visible model's latest version. */
export function ComplianceCoverage() {
  const { client } = useSession();
  const coverage = useQuery({
    queryKey: complianceKeys.coverage(),
    queryFn: () => client.compliance.portfolio({ coverageOnly: 'true' }),
  });
  return (
    <section aria-labelledby="coverage-h">
      <h2 id="coverage-h">Compliance coverage</h2>
      <p className="muted small">
        Requirement statuses met across the portfolio's latest versions, per catalog (computed from evidence).
      </p>
      <QueryView query={coverage} what="Computing compliance coverage">
        {(a) => <CoverageTable coverage={a.coverage} />}
      </QueryView>
    </section>
  );
}
