/**
 * The query of an endpoint that takes no parameters: `@Query() _query: NoQueryDto`. It is empty,
 * so the validation pipe (forbidNonWhitelisted) refuses any parameter sent, naming it.
 */
export class NoQueryDto {}
