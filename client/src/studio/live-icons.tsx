/** Icons only the studio's live mode uses, kept out of icons.tsx so the viewer page's bundle never changes for them. */
import { Svg, type IconProps } from "../components/icons.tsx";

/** Front and back camera: a camera with turning arrows. */
export const FlipCameraIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M4 8h3l2-3h6l2 3h3v11H4zm5 6a3 3 0 0 0 5.2 2M15 12a3 3 0 0 0-5.2-2M14 16h.5v-1.5M10 10h-.5v1.5" />
  </Svg>
);

export const MicIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M12 3a3 3 0 0 0-3 3v5a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3M5 11a7 7 0 0 0 14 0m-7 7v3" />
  </Svg>
);

export const MicOffIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.5 2.6M5 11a7 7 0 0 0 11 5.7m2.5-3A7 7 0 0 0 19 11m-7 7v3M3 3l18 18" />
  </Svg>
);

export const VideoIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M3 7h12v10H3zm12 4 6-4v10l-6-4" />
  </Svg>
);

export const VideoOffIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M9 7h6v6m0 4H3V7h2m10 4 6-4v10l-6-4M3 3l18 18" />
  </Svg>
);

/** The show's numbers: a rising line over bars. */
export const ChartIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M4 20h16M6 16v-3m4 3v-6m4 6v-4m4 4V8M5 10l5-4 4 3 5-5" />
  </Svg>
);

export const BoltIcon = (props: IconProps) => (
  <Svg {...props} filled>
    <path d="M13 2 4 14h7l-1 8 9-12h-7z" />
  </Svg>
);

export const PinIcon = (props: IconProps) => (
  <Svg {...props}>
    <path d="M9 4h6l-1 5 3 3v2H7v-2l3-3zm3 10v6" />
  </Svg>
);
