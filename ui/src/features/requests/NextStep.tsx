import type { NextStep, NextStepKind } from "../../ipc/types";
import { useI18n, type I18n, type MessageKey } from "../../i18n";
import { formatDateInput } from "../../i18n/dateEntry";

/** A date as the officer reads and types it in the interface language: "17 Mar 2025", "17.03.2025", "17/03/2025". */
export function stepDate(d: string, i: I18n): string {
  return formatDateInput(d, i.language);
}

/** The button's words per kind; none where nothing is left to do. */
const ACTION: Record<NextStepKind, MessageKey | null> = {
  acknowledge: "next.do.acknowledge",
  identity_awaited: "next.do.identity_awaited",
  clarification_awaited: "next.do.clarification_awaited",
  paused: "next.do.paused",
  tasks_open: "next.do.tasks_open",
  answer_due: "next.do.answer_due",
  extension_possible: "next.do.extension_possible",
  overdue: "next.do.overdue",
  forward_to_controller: "next.do.forward_to_controller",
  forwarded_to_controller: null,
  closed: null,
};

/** The kinds whose sentence is about the answer's date, which is then shown beside it. */
const ABOUT_THE_ANSWER: NextStepKind[] = ["tasks_open", "answer_due", "overdue"];

/** What the step asks, in the interface language: "Acknowledge by 17 Mar 2025", "3 tasks open", "Answer due in 4 days". */
export function stepText(step: NextStep, i: I18n): string {
  const { t } = i;
  const date = step.date ? stepDate(step.date, i) : null;
  switch (step.kind) {
    case "acknowledge":
      return date ? t("next.acknowledge", { date }) : t("next.acknowledgeNoDate");
    case "identity_awaited":
      return date ? t("next.identity_awaited", { date }) : t("next.identity_awaitedNoDate");
    case "clarification_awaited":
      return date ? t("next.clarification_awaited", { date }) : t("next.clarification_awaitedNoDate");
    case "paused":
      return date ? t("next.paused", { date }) : t("next.pausedNoDate");
    case "tasks_open":
      return t("next.tasks_open", { count: step.count ?? 0 });
    case "answer_due":
      return step.days_left === null ? t("next.answer_dueNoDate") : t("next.answer_due", { days: step.days_left });
    case "extension_possible":
      return t("next.extension_possible", { date: date ?? "" });
    case "overdue":
      return t("next.overdue", { days: -(step.days_left ?? 0) });
    case "forward_to_controller":
      return date ? t("next.forward_to_controller", { date }) : t("next.forward_to_controllerNoDate");
    case "forwarded_to_controller":
      return t("next.forwarded_to_controller", { date: date ?? "" });
    case "closed":
      return t("next.closed");
  }
}

/** The button's words, or null when nothing is left to do. */
export function stepAction(step: NextStep, i: I18n): string | null {
  const key = ACTION[step.kind];
  return key ? i.t(key) : null;
}

/** The date the answer is owed by, when the sentence is about the answer ("due 14.03.2025"). */
export function stepDue(step: NextStep, i: I18n): string | null {
  return ABOUT_THE_ANSWER.includes(step.kind) && step.date ? i.t("next.dueOn", { date: stepDate(step.date, i) }) : null;
}

type ButtonProps = { step: NextStep; onAct: (step: NextStep) => void; testid?: string };

/** The one button that takes the officer to the step (the letter, the identity form, the tasks ...). */
export function NextStepButton({ step, onAct, testid = "next-step-button" }: ButtonProps) {
  const i = useI18n();
  const action = stepAction(step, i);
  if (!action) return null;
  return (
    <button type="button" className="primary next-step-button" data-testid={testid} data-kind={step.kind} onClick={() => onAct(step)}>
      {action}
    </button>
  );
}

/** The request page's first card: the next step, its date and its button. */
export function NextStepCard({ step, onAct }: { step: NextStep; onAct: (step: NextStep) => void }) {
  const i = useI18n();
  const due = stepDue(step, i);
  return (
    <section
      className={`next-step next-step-${step.kind}`}
      data-testid="next-step"
      data-kind={step.kind}
      aria-labelledby="next-step-heading"
    >
      <h2 id="next-step-heading">{i.t("next.title")}</h2>
      <p className="next-step-text">
        <strong data-testid="next-step-text">{stepText(step, i)}</strong>
        {due && (
          <>
            {" "}
            <time className="muted" dateTime={step.date ?? undefined} data-testid="next-step-due">
              {due}
            </time>
          </>
        )}
      </p>
      <NextStepButton step={step} onAct={onAct} />
    </section>
  );
}
