/** Body of `POST /accounts/{id}/close`: empty, so any property sent is refused as unknown. */
export class CloseAccountDto {}
