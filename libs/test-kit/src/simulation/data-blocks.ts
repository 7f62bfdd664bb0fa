const BLOCK = /^([A-Za-z0-9 _.-]{1,64}): the JSON between <<<DATA (\w+)>>> and <<<END DATA \2>>>[^\n]*\n<<<DATA \2>>>\n([\s\S]*?)\n<<<END DATA \2>>>/gm;

/** The data blocks of a prompt written with the supervisor's `dataBlock`, by label. */
export function readDataBlocks(prompt: string): Map<string, unknown> {
  const blocks = new Map<string, unknown>();
  for (const found of prompt.matchAll(BLOCK)) blocks.set(found[1]!, JSON.parse(found[3]!));
  return blocks;
}
