/**
 * Which requests of a show's page are a person's visit, for its numbers.
 * A link shared in a chat app is fetched first by the app's preview robot
 * (its title, picture and start time come from the page's head), and search
 * engines fetch it too; a browser may fetch it ahead of a tap (prefetch or
 * prerender). None of them is somebody opening the show.
 */

/**
 * Link-preview robots of chat and social apps, and search engines' crawlers, by their User-Agent. Not the apps'
 * own in-app browsers (LinkedInApp, Instagram, MicroMessenger…): those are people.
 */
const ROBOTS =
  /(?<![a-z])bot\b|bot[/;-]|telegrambot|crawler|spider|facebookexternalhit|facebookcatalog|meta-externalagent|slack-imgproxy|slackbot|whatsapp\/|skypeuripreview|embedly|vkshare|bytespider|headlesschrome\/.*lighthouse/i;

export function countsAsVisit(request: Request): boolean {
  if (request.method !== "GET") return false;
  const purpose = `${request.headers.get("Sec-Purpose") ?? ""} ${request.headers.get("Purpose") ?? ""}`;
  if (/prefetch|prerender/i.test(purpose)) return false;
  const agent = request.headers.get("User-Agent") ?? "";
  return !ROBOTS.test(agent);
}
