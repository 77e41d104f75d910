export function probeApi(url: string): Promise<'taskwell' | 'free' | 'other'>;
export function waitUntilReady(
  url: string,
  options: { timeoutMs: number; gone?: () => boolean; intervalMs?: number },
): Promise<boolean>;
