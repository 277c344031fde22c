import { errorMessage } from '../components/DataState.tsx';

/** Explains a refusal in plain words; separation-of-duties refusals say who may act instead. */
export function plainRefusal(error: unknown): string {
  const msg = errorMessage(error);
  if (/separation|maker|checker|independen|same (user|person)/i.test(msg))
    return `Separation of duties: ${msg} Someone who did not build or validate this version must sign.`;
  if (/conflict|row version|changed/i.test(msg))
    return `Someone changed this review meanwhile; reload and try again. (${msg})`;
  return msg;
}
