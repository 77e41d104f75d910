import type { Response } from 'express';

/**
 * `text`, already JSON, as the response's body: a handler returns the string once the type is set,
 * and it goes out as it is (Express sends a string under the type it finds). For a body whose bulk
 * PostgreSQL wrote as JSON (a page of tasks), so the service neither parses nor re-serializes it.
 */
export function jsonBody(response: Response, text: string): string {
  response.type('application/json');
  return text;
}
