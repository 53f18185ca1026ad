import type { RoomVariant } from "../../../durable-objects/protocol.ts";
import { tOrders as t } from "../i18n-orders.ts";
import { choose, inStock, valuesOf, type Choice } from "./variant-choice.ts";
import "./variant-picker.css";

type VariantPickerProps = {
  optionNames: string[];
  variants: RoomVariant[];
  choice: Choice;
  disabled: boolean;
  onChoose: (choice: Choice) => void;
};

/** One row of chips per option (Size, Colour); a value with no unit left is disabled and marked sold out. */
export function VariantPicker({ optionNames, variants, choice, disabled, onChoose }: VariantPickerProps) {
  return (
    <div class="variant-picker" data-testid="variant-picker">
      {optionNames.map((name, j) => (
        <fieldset class="variant-option" key={name} disabled={disabled}>
          <legend class="checkout-label">
            {name}
            {choice[j] && <span class="variant-chosen">{choice[j]}</span>}
          </legend>
          <div class="variant-chips" role="radiogroup" aria-label={name}>
            {valuesOf(variants, j).map((value) => {
              const available = inStock(variants, j, value);
              const on = choice[j] === value;
              return (
                <label
                  key={value}
                  class={`variant-chip${on ? " is-on" : ""}${available ? "" : " is-sold-out"}`}
                  data-testid="variant-chip"
                  data-option={j}
                  data-value={value}
                  data-sold-out={available ? undefined : "true"}
                >
                  <input
                    type="radio"
                    name={`variant-option-${j}`}
                    value={value}
                    checked={on}
                    disabled={!available}
                    onChange={() => onChoose(choose(variants, choice, j, value))}
                  />
                  <span class="variant-value">{value}</span>
                  {!available && <span class="variant-sold-out">{t("chipSoldOut")}</span>}
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
