import { encode } from "uqr";

/**
 * The viewer link as a QR code, drawn as Preact SVG elements (one path of
 * unit squares) rather than an SVG string, so nothing goes through innerHTML.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  let path = "";
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    }),
  );
  return (
    <div class="qr" data-testid="qr-code" role="img" aria-label={label}>
      <svg viewBox={`0 0 ${size} ${size}`} shape-rendering="crispEdges" aria-hidden="true">
        <rect width={size} height={size} fill="#fff" />
        <path d={path} fill="#17161f" />
      </svg>
    </div>
  );
}
