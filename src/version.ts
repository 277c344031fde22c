/** The Assay version, reported by /api/health, the CLI and every evidence document. */
export const ASSAY_VERSION = '0.1.0';
