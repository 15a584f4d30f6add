import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent, type Ref } from "react";
import type { AppInfo, ListRow, RequestType, Status } from "../../ipc/types";
import { messageOf } from "../../ipc/call";
import { useI18n, type MessageKey } from "../../i18n";
import { BulkBar } from "./BulkBar";
import { daysText, urgencyOf } from "./format";
import { coreLabels } from "../../i18n/coreLabels";
import { PAGE_SIZE, useRequestPages } from "./queries";
import { SavedViews } from "./SavedViews";
import { filterOf, nextSort, pagesFor, sortState, type Column, type ListView } from "./view";

/** What the app shell's keyboard handler may ask of the list. */
export type ListApi = {
  /** Moves the focus to the next (1) or previous (-1) row. */
  move: (delta: number) => void;
  focusSearch: () => void;
};

type Props = {
  info: AppInfo;
  view: ListView;
  onViewChange: (view: ListView) => void;
  onOpen: (id: string) => void;
  onNew: () => void;
  /** The ids of the loaded rows, in list order (for next/previous in the detail view). */
  onOrderChange?: (ids: string[]) => void;
  apiRef?: Ref<ListApi>;
};

const ROW_HEIGHT = 52;
const COLUMNS: { column: Column | null; label: MessageKey }[] = [
  { column: "reference", label: "col.reference" },
  { column: "subject", label: "col.subject" },
  { column: "type", label: "col.type" },
  { column: "regime", label: "col.regime" },
  { column: "status", label: "col.status" },
  { column: "due", label: "col.due" },
  { column: "target", label: "col.target" },
  { column: null, label: "col.daysLeft" },
];

/**
 * The request list: one search across subjects, emails, references, ids and
 * notes; sort by any column; rows virtualised and loaded page by page from the
 * core, so 100,000 requests scroll like 100; rows selectable for bulk actions.
 */
export function RequestList({ info, view, onViewChange, onOpen, onNew, onOrderChange, apiRef }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const filter = useMemo(() => filterOf(view), [view]);
  const set = (patch: Partial<ListView>) => onViewChange({ ...view, ...patch });
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [active, setActive] = useState(0);
  const focusWanted = useRef(false);
  const [total, setTotal] = useState(0);
  const [announcement, setAnnouncement] = useState("");

  // eslint-disable-next-line react-hooks/incompatible-library -- the app does not use the React Compiler, so nothing memoises the virtualizer's functions
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const pages = pagesFor(
    items.map((v) => v.index),
    PAGE_SIZE,
  );
  const results = useRequestPages(filter, pages);
  const first = results[0];
  const loadedTotal = first?.data?.total;
  useEffect(() => {
    if (loadedTotal !== undefined) setTotal(loadedTotal);
  }, [loadedTotal]);
  const byPage = new Map<number, ListRow[]>();
  pages.forEach((p, k) => {
    const data = results[k]?.data;
    if (data && data.offset === p * PAGE_SIZE) byPage.set(p, data.requests);
  });
  const rowAt = (index: number): ListRow | undefined => byPage.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];

  const loadedIds = [...byPage.entries()].sort(([a], [b]) => a - b).flatMap(([, rows]) => rows.map((r) => r.id));
  const orderKey = loadedIds.join(",");
  useEffect(() => {
    onOrderChange?.(orderKey === "" ? [] : orderKey.split(","));
  }, [orderKey, onOrderChange]);

  // A new search or sort starts at the top.
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    setActive(0);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filterKey]);

  const [, setFocusTick] = useState(0);
  /** Focuses row `index` (clamped), scrolling it into view and rendering it first if needed. */
  const focusRow = (index: number) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    focusWanted.current = true;
    setActive(next);
    setFocusTick((n) => n + 1);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };
  useImperativeHandle(apiRef, () => ({
    move: (delta: number) => {
      const inRow = document.activeElement?.closest?.("tr[data-index]") != null;
      // The first j from elsewhere on the screen lands on the current row.
      focusRow(inRow ? active + delta : active);
    },
    focusSearch: () => searchRef.current?.focus(),
  }));
  useEffect(() => {
    if (!focusWanted.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${active}"]`);
    if (row) {
      row.focus();
      focusWanted.current = false;
    }
  });

  const toggle = (r: ListRow) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(r.id)) next.delete(r.id);
      else next.set(r.id, r.reference);
      return next;
    });
  const loadedRows = loadedIds.length;
  const allLoadedSelected = loadedRows > 0 && loadedIds.every((id) => selected.has(id));
  const toggleAllLoaded = () =>
    setSelected((prev) => {
      const next = new Map(prev);
      const rows = [...byPage.values()].flat();
      if (allLoadedSelected) rows.forEach((r) => next.delete(r.id));
      else rows.forEach((r) => next.set(r.id, r.reference));
      return next;
    });

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, r: ListRow | undefined) => {
    if (e.target !== e.currentTarget) return; // a checkbox or button inside handles its own keys
    if (e.key === "Enter" && r) {
      e.preventDefault();
      onOpen(r.id);
    } else if ((e.key === "x" || e.key === " ") && r) {
      e.preventDefault();
      toggle(r);
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      focusRow(index + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      focusRow(index - 1);
    }
  };

  const labels = coreLabels(i18n, info);
  const typeLabel = labels.type;
  const regimeName = labels.regime;
  const error = results.find((r) => r.isError)?.error;
  const paddingTop = items.length > 0 ? items[0].start : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <section aria-labelledby="list-heading" className="list-screen">
      <header className="toolbar">
        <h1 id="list-heading">
          {t("list.title")}{" "}
          <span className="muted count" data-testid="list-total" data-total={total}>
            {first?.isSuccess ? t("list.count", { count: total }) : ""}
          </span>
        </h1>
        <button type="button" className="primary" data-testid="new-request" onClick={onNew} aria-keyshortcuts="n">
          {t("nav.new")}
        </button>
      </header>
      <div className="filters" role="search">
        <label className="grow">
          {t("list.search")}
          <input
            ref={searchRef}
            name="search"
            type="search"
            data-testid="search"
            placeholder={t("list.searchHint")}
            aria-keyshortcuts="/ Control+K"
            value={view.search}
            onChange={(e) => set({ search: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === "ArrowDown") {
                e.preventDefault();
                focusRow(0);
              }
            }}
          />
        </label>
        <label>
          {t("list.status")}
          <select name="filter-status" value={view.status} onChange={(e) => set({ status: e.target.value as Status | "" })}>
            <option value="">{t("list.allStatuses")}</option>
            {info.statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {labels.status(s.value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("list.type")}
          <select name="filter-type" value={view.type} onChange={(e) => set({ type: e.target.value as RequestType | "" })}>
            <option value="">{t("list.allTypes")}</option>
            {info.request_types.map((x) => (
              <option key={x.value} value={x.value}>
                {labels.type(x.value)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" name="open-only" checked={view.openOnly} onChange={(e) => set({ openOnly: e.target.checked })} />
          {t("list.openOnly")}
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="assigned-to-me"
            checked={view.assignedToMe}
            onChange={(e) => set({ assignedToMe: e.target.checked })}
          />
          {t("list.assignedToMe")}
        </label>
        <SavedViews view={view} onApply={onViewChange} />
      </div>
      {selected.size > 0 && (
        <BulkBar
          info={info}
          selected={[...selected.entries()].map(([id, reference]) => ({ id, reference }))}
          onClear={() => setSelected(new Map())}
          onDone={setAnnouncement}
        />
      )}
      <p role="status" className="muted" data-testid="bulk-done">
        {announcement}
      </p>
      {error && (
        <p role="alert" className="error">
          {messageOf(error)}
        </p>
      )}
      <div className="table-scroll" ref={scrollRef} data-testid="list-scroll">
        <table data-testid="request-list" className="requests virtual" aria-rowcount={total + 1} aria-labelledby="list-heading">
          <colgroup>
            <col className="w-select" />
            <col className="w-reference" />
            <col />
            <col className="w-type" />
            <col className="w-regime" />
            <col className="w-status" />
            <col className="w-date" />
            <col className="w-date" />
            <col className="w-days" />
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col" className="select-col">
                <input
                  type="checkbox"
                  aria-label={t("list.selectShown")}
                  data-testid="select-all"
                  checked={allLoadedSelected}
                  onChange={toggleAllLoaded}
                />
              </th>
              {COLUMNS.map(({ column, label }) =>
                column ? (
                  <th key={label} scope="col" data-sort={column} aria-sort={sortState(view.sort, column)}>
                    <button type="button" data-testid={`sort-${column}`} onClick={() => set({ sort: nextSort(view.sort, column) })}>
                      {t(label)}{" "}
                      <span aria-hidden="true">{{ ascending: "▲", descending: "▼", none: "" }[sortState(view.sort, column)]}</span>
                    </button>
                  </th>
                ) : (
                  <th key={label} scope="col">
                    {t(label)}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 && (
              <tr aria-hidden="true" className="spacer" style={{ height: paddingTop }}>
                <td colSpan={9} />
              </tr>
            )}
            {items.map((item) => {
              const r = rowAt(item.index);
              const isSelected = r ? selected.has(r.id) : false;
              return (
                <tr
                  key={item.key}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  data-testid={r ? "request-row" : "request-row-loading"}
                  data-reference={r?.reference}
                  aria-rowindex={item.index + 2}
                  aria-selected={isSelected}
                  className={isSelected ? "selected" : ""}
                  style={{ minHeight: ROW_HEIGHT, height: ROW_HEIGHT }}
                  tabIndex={item.index === active ? 0 : -1}
                  onFocus={() => setActive(item.index)}
                  onClick={() => r && onOpen(r.id)}
                  onKeyDown={(e) => onRowKey(e, item.index, r)}
                >
                  <td className="select-col" onClick={(e) => e.stopPropagation()}>
                    {r && (
                      <input
                        type="checkbox"
                        tabIndex={-1}
                        data-testid="select-row"
                        aria-label={t("list.selectRow", { reference: r.reference })}
                        checked={isSelected}
                        onChange={() => toggle(r)}
                      />
                    )}
                  </td>
                  {r ? (
                    <>
                      <td data-col="reference">{r.reference}</td>
                      <td data-col="subject">
                        <div className="ellipsis" title={r.subject.name}>
                          {r.subject.name}
                        </div>
                        <div className="muted ellipsis" title={r.subject.email ?? undefined}>
                          {r.subject.email ?? ""}
                        </div>
                      </td>
                      <td data-col="type">{typeLabel(r.type)}</td>
                      <td data-col="regime">
                        {regimeName(r.regime)} <span className="muted">{r.jurisdiction}</span>
                      </td>
                      <td data-col="status">
                        <span className={`status status-${r.status}`}>{labels.status(r.status)}</span>
                      </td>
                      <td data-col="due" className="date">
                        {r.due ? <time dateTime={r.due}>{i18n.date(r.due)}</time> : t("due.none")}
                      </td>
                      <td data-col="target" className="date muted">
                        {r.target ? <time dateTime={r.target}>{i18n.date(r.target)}</time> : "—"}
                      </td>
                      <td data-col="days-left" className={`urgency-${urgencyOf(r.days_left)}`}>
                        {daysText(r.days_left, t)}
                      </td>
                    </>
                  ) : (
                    <td colSpan={8} className="muted">
                      {t("list.loading")}
                    </td>
                  )}
                </tr>
              );
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true" className="spacer" style={{ height: paddingBottom }}>
                <td colSpan={9} />
              </tr>
            )}
          </tbody>
        </table>
        {first?.isSuccess && total === 0 && (
          <p data-testid="list-empty" className="empty">
            {t("list.empty")}
          </p>
        )}
      </div>
    </section>
  );
}
