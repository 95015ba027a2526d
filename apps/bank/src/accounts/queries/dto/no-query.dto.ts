/** Query of an endpoint that takes no parameters: empty, so any parameter sent is refused as unknown. */
export class NoQueryDto {}
