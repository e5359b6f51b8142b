import { yuan } from '../format';

export function Money({ fen }: { fen: number | null | undefined }) {
  return <span className="sf-money">{yuan(fen)}</span>;
}
