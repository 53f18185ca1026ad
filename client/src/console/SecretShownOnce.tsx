/**
 * A secret the server shows once (a new API key, a webhook endpoint's signing
 * secret): the words saying so, the secret, Copy, and Done to hide it.
 */
import type { ComponentChildren } from "preact";
import { CopyButton } from "../components/CopyButton.tsx";

type Props = { testIds: { box: string; value: string; copy: string }; secret: string; note: ComponentChildren; done: string; onDone: () => void };

export function SecretShownOnce({ testIds, secret, note, done, onDone }: Props) {
  return (
    <div class="api-key-made" role="status" data-testid={testIds.box}>
      <p class="small">{note}</p>
      <code class="api-key-value" data-testid={testIds.value}>
        {secret}
      </code>
      <div class="button-row">
        <CopyButton text={secret} testId={testIds.copy} />
        <button type="button" class="button button-quiet" onClick={onDone}>
          {done}
        </button>
      </div>
    </div>
  );
}
