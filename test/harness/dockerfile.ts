/** One Dockerfile instruction, e.g. `{ keyword: 'RUN', args: 'npm ci' }`. */
export interface DockerInstruction {
  keyword: string;
  args: string;
}

/** One build stage: its FROM line and the instructions after it. */
export interface DockerStage {
  image: string;
  name: string | null;
  instructions: DockerInstruction[];
}

/**
 * Parses a Dockerfile into stages (enough for static checks, not a full parser):
 * drops comments and blank lines, joins `\` continuations, splits on FROM.
 */
export function parseDockerfile(text: string): DockerStage[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : null, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

/** Arguments of every `keyword` instruction of a stage, in order. */
export function argsOf(stage: DockerStage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword.toUpperCase()).map((i) => i.args);
}

/** A CMD/ENTRYPOINT as a command line: JSON exec form joined by spaces, or shell form as is. */
export function commandLine(args: string): string {
  const trimmed = args.trim();
  return trimmed.startsWith('[') ? (JSON.parse(trimmed) as string[]).join(' ') : trimmed;
}
