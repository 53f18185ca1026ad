import { CopyButton } from "../components/CopyButton.tsx";
import "./recovery-code.css";

/** A recovery code, shown once, with Copy. The words are the page's own (the landing page uses it too). */
export function RecoveryCodeCard({ code, title, note, children }: { code: string; title: string; note: string; children?: preact.ComponentChildren }) {
  return (
    <div class="recovery-code" data-testid="recovery-code-card" role="status">
      <h3 class="link-label">{title}</h3>
      <p class="recovery-code-value" data-testid="recovery-code" translate={false}>
        {code}
      </p>
      <p class="small">{note}</p>
      <div class="recovery-code-actions">
        <CopyButton text={code} testId="copy-recovery-code" />
        {children}
      </div>
    </div>
  );
}
