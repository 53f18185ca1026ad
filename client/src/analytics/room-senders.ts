/** The room sockets of this page by room (the live page's model registers its own): track() sends through them. Kept tiny: the viewer page loads it first. */
export const roomSenders = new Map<string, (frame: string) => boolean>();
