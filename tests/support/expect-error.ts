interface ErrorResponse {
  status: number;
  body: { code?: string; details?: { fields?: string[] } };
}

/** The answer's status and error code, compared together so that a failure shows both. */
export function expectError(response: ErrorResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
}

/** 400 `validation.failed` naming `field` among the offending fields. */
export function expectValidation(response: ErrorResponse, field: string): void {
  expectError(response, 400, 'validation.failed');
  expect(response.body.details?.fields).toContain(field);
}
