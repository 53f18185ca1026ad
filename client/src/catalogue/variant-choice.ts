/**
 * Choosing a variant by its options (Size, then Colour): which values there
 * are, which can still be bought, and the variant a choice names. Pure, so
 * the checkout (and later the console) can show chips from it.
 */
import type { RoomVariant } from "../../../durable-objects/protocol.ts";

/** A value per option, or null where none is chosen yet. */
export type Choice = Array<string | null>;

/** Option `j`'s values, in the order the variants list them. */
export const valuesOf = (variants: RoomVariant[], j: number): string[] => [...new Set(variants.map((v) => v.options[j]!))];

/** The start: options that have one value only are chosen already; a product with one variant is that variant. */
export function firstChoice(variants: RoomVariant[], optionCount: number): Choice {
  return Array.from({ length: optionCount }, (_, j) => {
    const values = valuesOf(variants, j);
    return values.length === 1 ? values[0]! : null;
  });
}

/** The variant the choice names, once every option has a value. */
export const chosenVariant = (variants: RoomVariant[], choice: Choice): RoomVariant | null =>
  variants.find((v) => v.options.every((value, j) => value === choice[j])) ?? null;

/** False when no variant with this value has a unit left: its chip is disabled and marked sold out. */
export const inStock = (variants: RoomVariant[], j: number, value: string): boolean => variants.some((v) => v.options[j] === value && v.left > 0);

/**
 * Chooses `value` for option `j`. A value chosen for another option that no
 * longer leads to a variant in stock is let go, so a choice never traps the
 * buyer behind a combination that is gone.
 */
export function choose(variants: RoomVariant[], choice: Choice, j: number, value: string): Choice {
  const next = choice.map((current, k) => (k === j ? value : current));
  return next.map((current, k) => {
    if (k === j || current === null) return current;
    const fits = variants.some((v) => v.left > 0 && v.options[j] === value && v.options[k] === current);
    return fits ? current : null;
  });
}
