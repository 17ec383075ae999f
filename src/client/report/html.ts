import escapeHtml from 'escape-html';

/**
 * A tiny HTML templating helper: every interpolated value is escaped unless it is itself the
 * result of `html` (a trusted fragment), so a step id, an error message or SQL can never inject markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  // escape-html covers element content and quoted attribute values (& < > " ').
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + render(values[i]), ''));
}
