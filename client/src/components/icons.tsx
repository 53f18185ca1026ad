/** The few icons the pages use, inline so they cost no requests. Decorative: labels live on the buttons. */
import type { ComponentChildren } from "preact";

export type IconProps = { size?: number };

/** Outline icons are 2px strokes; `filled` ones are solid shapes. */
export function Svg({ size = 24, filled, children }: IconProps & { filled?: boolean; children: ComponentChildren }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={filled ? "currentColor" : "none"}
      stroke={filled ? undefined : "currentColor"}
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const HeartIcon = (props: IconProps) => (
  <Svg {...props} filled>
    <path d="M12 21 10.6 19.7C5.4 15 2 12 2 8.3 2 5.4 4.3 3 7.3 3c1.7 0 3.4.8 4.7 2.1C13.3 3.8 15 3 16.7 3 19.7 3 22 5.4 22 8.3c0 3.7-3.4 6.7-8.6 11.4z" />
  </Svg>
);

export const BagIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M5 8h14l-1 13H6zm4 0V7a3 3 0 0 1 6 0v1" />
  </Svg>
);

export const EyeIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12" />
    <circle cx="12" cy="12" r="3" />
  </Svg>
);

/** A speaker with a cross: the stage's sound is off. */
export const SoundOffIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M4 9h4l5-4v14l-5-4H4zm13 0 5 6m0-6-5 6" />
  </Svg>
);

export const CloseIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M6 6l12 12M18 6 6 18" />
  </Svg>
);

export const SendIcon = (props: IconProps) => (
  <Svg {...props} filled>
    <path d="M3 20.5 21.5 12 3 3.5V10l13 2-13 2z" />
  </Svg>
);

export const TrashIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M4 7h16M10 11v6m4-6v6M6 7l1 13h10l1-13M9 7V4h6v3" />
  </Svg>
);


export const BellIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </Svg>
);
