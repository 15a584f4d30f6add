import { Fragment, type ReactNode } from "react";

/**
 * A translated message with elements in it: each `{name}` that `t` left unfilled
 * is replaced by `nodes[name]` (a <code>, a <strong>, a <time> …), so the words
 * around an element can move with the language.
 */
export function rich(text: string, nodes: Record<string, ReactNode>): ReactNode {
  const parts = text.split(/\{(\w+)\}/);
  return parts.map((part, i) => (i % 2 === 0 ? part : <Fragment key={i}>{part in nodes ? nodes[part] : `{${part}}`}</Fragment>));
}
