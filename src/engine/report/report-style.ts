/** Inline stylesheet of the validation report (print-friendly, no web fonts). */
export const REPORT_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d232b;background:#f4f5f7}
main{max-width:1180px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:24px}
.meta{color:#5b6573;margin:0 0 16px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:16px 20px;margin:0 0 18px}
h2{margin:0 0 12px;font-size:18px}
h3{margin:16px 0 6px;font-size:15px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
.card{border:1px solid #dde1e6;border-left:6px solid #9aa3ad;border-radius:4px;padding:10px 12px}
.card h3{margin:0}
.card ul{margin:6px 0 0;padding-left:18px;color:#3a4350}
.card .verdict{margin:2px 0 0;font-weight:700;font-size:16px}
.card.pass{border-left-color:#2e7d32}.card.pass .verdict{color:#2e7d32}
.card.warn{border-left-color:#b7791f}.card.warn .verdict{color:#8a5a12}
.card.fail{border-left-color:#c62828}.card.fail .verdict{color:#c62828}
.card.none .verdict{color:#5b6573}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid #e6e9ed;padding:5px 8px;text-align:left;vertical-align:top}
thead th{background:#f0f2f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
tr.flag td{background:#fdecea}
tr.small td{color:#6b7380}
.sub{color:#6b7380;font-size:12px}
.badge{display:inline-block;padding:0 6px;border-radius:8px;background:#eef0f3;color:#3a4350;font-size:11px;font-weight:600}
.badge.bad,b.bad{color:#c62828}
.badge.bad{background:#fdecea}
.row{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}
table.metrics{width:auto;min-width:260px}
table.confusion{width:auto}
table.confusion caption{text-align:left;font-weight:600;padding-bottom:4px}
.charts{display:flex;gap:16px;flex-wrap:wrap;margin-top:10px}
figure.chart{margin:0}
figcaption{text-align:center;color:#3a4350;font-size:13px}
svg .grid{stroke:#e3e6ea;stroke-width:1}
svg .frame{fill:#fff;stroke:#c9ced4}
svg .diagonal{stroke:#9aa3ad;stroke-dasharray:4 4}
svg .tick{font-size:10px;fill:#5b6573}
svg .axis{font-size:11px;fill:#3a4350}
svg .ref,.legend i.ref{fill:#8fa9c9;background:#8fa9c9}
svg .cur,.legend i.cur{fill:#e07b39;background:#e07b39}
.legend{margin-left:12px;color:#3a4350}
.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}
table.drift td:last-child{width:270px}
@media print{body{background:#fff}section{break-inside:avoid;border:none}}
`;
