import type { ConsoleRole, ConsoleScope } from './capabilities.ts';

/** The signed-in user as the console needs it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: ConsoleRole;
  scope: ConsoleScope;
}

/** One row of the inventory. */
export interface ModelRow {
  key: string;
  name: string;
  type: string;
  status: string;
  tier: string | null;
  owner: string | null;
  businessUnit: string | null;
  vendor: boolean;
  vendorName: string | null;
  genai: boolean;
  tags: string[];
  completeness?: number | null;
  openFindings?: Partial<Record<'critical' | 'high' | 'medium' | 'low', number>> | null;
  nextReviewDate?: string | null;
  updatedAt?: string | null;
}

/** Inventory filters and sort as the list call takes them. */
export interface ModelFilters {
  q?: string | undefined;
  status?: string | undefined;
  tier?: string | undefined;
  owner?: string | undefined;
  type?: string | undefined;
  tag?: string | undefined;
  vendor?: boolean | undefined;
  genai?: boolean | undefined;
  sort?: string | undefined;
}

/** A page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number | null;
}

/** Everything the console asks of the server. */
export interface ConsoleClient {
  me(): Promise<Me>;
  login(username: string, password: string): Promise<{ token: string }>;
  listModels(
    q: ModelFilters & { limit?: number; cursor?: string | undefined },
    signal?: AbortSignal,
  ): Promise<Page<ModelRow>>;
}

/** Builds the console's client for a token (null before sign-in). */
export function createConsoleClient(token: string | null): ConsoleClient {
  void token;
  throw new Error('the SDK has not landed yet');
}
