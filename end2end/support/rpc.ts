import type { APIRequestContext } from '@playwright/test';

/**
 * Calls a server function the way the app's own form posts do. Used to arrange state a test
 * is not about (its owner, a second member); what a test is about goes through the UI.
 */
export async function callServerFn<T>(
  request: APIRequestContext,
  baseURL: string,
  name: string,
  args: Record<string, string>,
): Promise<T> {
  const response = await request.post(`${baseURL}/rpc/${name}`, {
    form: args,
    headers: { 'sec-fetch-site': 'same-origin' },
  });
  const body = await response.text();
  if (!response.ok()) throw new Error(`${name} failed with ${response.status()}: ${body}`);
  return (body ? JSON.parse(body) : undefined) as T;
}
