/** One HTTP exchange, as a test sees it. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

/** A request a test sends through `StrataTestApp.request`. */
export interface RequestSpec {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  /** An object is sent as JSON; a string is sent as it is, with whatever content type is given. */
  readonly body?: object | string;
  readonly headers?: Readonly<Record<string, string>>;
}
