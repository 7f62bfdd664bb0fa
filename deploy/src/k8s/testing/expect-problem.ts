import { Problem } from '../checks/problem';

/** A matcher for one problem about `resource` whose message matches `message`. */
export function problemAbout(resource: string, message: RegExp): Problem {
  return { resource, message: expect.stringMatching(message) as unknown as string };
}
