/** What the show's page says about a show, beside the room's live state: GET /api/rooms/{id} (worker/routes/rooms.ts). */
import type { RoomState } from "../../../durable-objects/protocol.ts";
import { api } from "../api.ts";

export type ShowHost = { name: string; photoUrl: string | null };

export type ShowPage = RoomState & {
  description: string | null;
  coverImageUrl: string | null;
  trailerUrl: string | null;
  cancelled: boolean;
  hosts: ShowHost[];
};

export const fetchShowPage = (roomId: string) => api<{ room: ShowPage }>(`/api/rooms/${encodeURIComponent(roomId)}`).then((answer) => answer.room);
