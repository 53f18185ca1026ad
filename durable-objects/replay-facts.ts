/** The pins of products in the event log, with their room-clock times: a replay's chapters. */
export function pinTimes(sql: SqlStorage): Array<{ productId: string; at: number }> {
  return sql
    .exec<{ productId: string; at: number }>(
      `SELECT json_extract(body, '$.productId') AS productId, at FROM events
       WHERE json_extract(body, '$.type') = 'pin' AND json_extract(body, '$.productId') IS NOT NULL AND at IS NOT NULL ORDER BY seq`,
    )
    .toArray();
}
