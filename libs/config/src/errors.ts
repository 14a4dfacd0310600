// One problem found while loading config. The loader collects these instead of throwing, so a
// user sees every mistake at once, each naming the file, the job and the field it concerns.

export interface ConfigErrorInit {
  file: string;
  message: string;
  job?: string | undefined;
  field?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

export class ConfigError {
  readonly file: string;
  readonly job: string | undefined;
  readonly field: string | undefined;
  readonly message: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(init: ConfigErrorInit) {
    this.file = init.file;
    this.job = init.job;
    this.field = init.field;
    this.message = init.message;
    this.line = init.line;
    this.column = init.column;
  }

  /** `config/jobs/foo.yaml:12:3: job "pull-foo": field always_run: must be boolean` */
  toString(): string {
    let where = this.file;
    if (this.line !== undefined) {
      where += `:${this.line}`;
      if (this.column !== undefined) where += `:${this.column}`;
    }
    const parts = [where];
    if (this.job !== undefined) parts.push(`job ${JSON.stringify(this.job)}`);
    if (this.field !== undefined) parts.push(`field ${this.field}`);
    parts.push(this.message);
    return parts.join(': ');
  }

  toJSON(): ConfigErrorInit {
    return {
      file: this.file,
      message: this.message,
      ...(this.job !== undefined && { job: this.job }),
      ...(this.field !== undefined && { field: this.field }),
      ...(this.line !== undefined && { line: this.line }),
      ...(this.column !== undefined && { column: this.column }),
    };
  }
}
