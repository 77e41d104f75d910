import { send } from './http-client.js';

/** A request of the harness itself (setting up people, reading their data back), which must succeed. */
export async function harnessJson(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const answer = await send(
    baseUrl,
    method,
    path,
    headers,
    body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
  );
  if (answer.status >= 300) throw new Error(`harness ${method} ${path} answered ${answer.status}: ${answer.text}`);
  return answer.text ? JSON.parse(answer.text) : undefined;
}
