/** One error type for everything a request can legitimately fail with. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class BadRequest extends AppError {
  constructor(message = 'The request was malformed.', fieldErrors: Record<string, string> = {}) {
    super(400, message, fieldErrors);
  }
}

export class Unauthorized extends AppError {
  constructor(message = 'Please log in.') {
    super(401, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You do not have permission to do this.') {
    super(403, message);
  }
}

export class NotFound extends AppError {
  constructor(message = 'Not found.') {
    super(404, message);
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super(409, message);
  }
}

export class Validation extends AppError {
  constructor(message: string, fieldErrors: Record<string, string> = {}) {
    super(422, message, fieldErrors);
  }
}

export class TooManyRequests extends AppError {
  constructor(message: string) {
    super(429, message);
  }
}
