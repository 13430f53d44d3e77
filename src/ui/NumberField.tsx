/**
 * A numeric input for the tablet's number pad (inputMode numeric/decimal, not type=number, whose
 * value is '' for anything the browser cannot parse, hiding what was typed). The raw text is kept
 * locally; only a value that passes the field's zod schema is stored (the section schema cannot
 * hold "12a"), and the translated zod error is shown as the advisor types. Empty means null.
 */
import { useEffect, useRef, useState } from 'react';
import type { ZodType } from 'zod';
import { TextField } from './TextField';

export interface NumberFieldProps {
  label: string;
  value: number | null;
  onChange: (v: number | null) => void;
  schema: ZodType<number>;
  decimal?: boolean;
  readOnly?: boolean;
  required?: boolean;
  hint?: string;
  placeholder?: string;
  className?: string;
}

/** Text → number: thousands separators and spaces are ignored; '' is null; junk is an error key. */
export function parseNumberText(raw: string, decimal: boolean): { ok: true; value: number | null } | { ok: false; issue: string } {
  const s = raw.replace(/[\s,，_]/g, '').replace(/^[¥￥]/, '');
  if (s === '') return { ok: true, value: null };
  const re = decimal ? /^-?\d+(?:\.\d*)?$|^-?\.\d+$/ : /^-?\d+$/;
  if (!re.test(s)) return { ok: false, issue: decimal ? 'number.invalid' : 'number.integer' };
  return { ok: true, value: Number(s) };
}

export function NumberField({ label, value, onChange, schema, decimal = false, readOnly, required, hint, placeholder, className }: NumberFieldProps) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const [issue, setIssue] = useState<string | null>(null);
  const emitted = useRef<number | null>(value);

  // A value changed elsewhere (sync, the same section shown on another step) replaces the text.
  useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setText(value === null ? '' : String(value));
      setIssue(null);
    }
  }, [value]);

  function change(raw: string) {
    setText(raw);
    const parsed = parseNumberText(raw, decimal);
    if (!parsed.ok) {
      setIssue(parsed.issue);
      return;
    }
    if (parsed.value !== null) {
      const r = schema.safeParse(parsed.value);
      if (!r.success) {
        setIssue(r.error.issues[0]?.message ?? 'invalid');
        return;
      }
    }
    setIssue(null);
    emitted.current = parsed.value;
    if (parsed.value !== value) onChange(parsed.value);
  }

  return (
    <TextField
      label={label}
      value={text}
      onChange={change}
      error={issue}
      readOnly={readOnly}
      required={required}
      hint={hint}
      placeholder={placeholder}
      inputMode={decimal ? 'decimal' : 'numeric'}
      className={className}
    />
  );
}
