import { useState, type FormEvent } from "react";
import { IpcFailure } from "../../ipc/call";
import { useI18n } from "../../i18n";
import { useDeleteSavedFilter, useSaveFilter, useSavedFilters } from "./queries";
import { filterOf, viewOf, type ListView } from "./view";

/** Named views of the list (search, filters, sort), kept in the database. */
export function SavedViews({ view, onApply }: { view: ListView; onApply: (v: ListView) => void }) {
  const { t } = useI18n();
  const saved = useSavedFilters();
  const save = useSaveFilter();
  const remove = useDeleteSavedFilter();
  const [chosen, setChosen] = useState("");
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const nameError = save.error instanceof IpcFailure && save.error.field === "name" ? save.error.message : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { name, filter: filterOf(view) },
      {
        onSuccess: (f) => {
          setChosen(f.id);
          setNaming(false);
          setName("");
        },
      },
    );
  };

  return (
    <div className="saved-views">
      <label>
        {t("views.label")}
        <select
          name="saved-view"
          data-testid="saved-view"
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            const f = saved.data?.find((x) => x.id === e.target.value);
            if (f) onApply(viewOf(f.filter));
          }}
        >
          <option value="">{t("views.none")}</option>
          {(saved.data ?? []).map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      {chosen !== "" && (
        <button type="button" data-testid="delete-view" onClick={() => remove.mutate(chosen, { onSuccess: () => setChosen("") })}>
          {t("views.delete")}
        </button>
      )}
      {naming ? (
        <form onSubmit={submit} className="inline-form">
          <label>
            {t("views.name")}
            <input
              name="view-name"
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={nameError ? true : undefined}
            />
            {nameError && (
              <span className="field-error" role="alert" data-error-for="name">
                {nameError}
              </span>
            )}
          </label>
          <button type="submit" className="primary" data-testid="save-view-confirm">
            {t("views.save")}
          </button>
          <button type="button" onClick={() => setNaming(false)}>
            {t("views.cancel")}
          </button>
        </form>
      ) : (
        <button type="button" data-testid="save-view" onClick={() => setNaming(true)}>
          {t("views.save")}
        </button>
      )}
    </div>
  );
}
