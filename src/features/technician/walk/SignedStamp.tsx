/**
 * What a signed technician's check or handover shows where its sign-off was: the signed badge
 * with who or when, and the content hash the signature binds. How each is signed differs (the
 * technician by PIN, the customer on the signature sheet), so the forms stay in their screens.
 */
import type { ReactNode } from 'react';

export function SignedStamp({ badge, text, hashLabel, hash, children }: { badge: string; text: string; hashLabel: string; hash: string | null | undefined; children?: ReactNode }) {
  return (
    <>
      <p role="status">
        <span className="badge signed">{badge}</span> {text}
      </p>
      <p className="muted">
        {hashLabel}: <span className="follow-hash">{hash}</span>
      </p>
      {children}
    </>
  );
}
