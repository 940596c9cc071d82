import {
  renderTemplate,
  type ChannelProvider,
  type TemplateDto,
  type TemplatePlaceholder,
} from '@toonbank/shared';
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  offeredTemplates,
  searchTemplates,
  TEMPLATE_SEARCH_MAX,
  type TemplateOption,
} from './templateChoice';

/**
 * Scrolls the nearest scrolling pane just enough to show all of `element` (at most its top
 * at the pane's top): only that pane, never the page around it.
 */
export function revealBelow(element: HTMLElement) {
  let pane = element.parentElement;
  while (pane && !/auto|scroll/.test(getComputedStyle(pane).overflowY)) pane = pane.parentElement;
  if (!pane) {
    element.scrollIntoView?.({ block: 'nearest' });
    return;
  }
  const box = element.getBoundingClientRect();
  const view = pane.getBoundingClientRect();
  const hidden = box.bottom - Math.min(view.bottom, window.innerHeight);
  if (hidden > 0) pane.scrollTop += Math.min(hidden, box.top - view.top);
}

/**
 * Choosing a template: a search box (combobox) over a list of the templates for this channel
 * (listbox), each shown filled in as it would be sent, with a preview of the one the arrow
 * keys or the mouse point at. Templates that fail the current tone profile are marked, and
 * not offered at all to people who must answer from a template. At that level the search
 * box is what `r` focuses (`data-composer-focus`).
 */
export function TemplatePicker({
  templates,
  provider,
  templateOnly,
  values,
  chosen,
  placeholder,
  onChoose,
}: {
  templates: readonly TemplateDto[];
  provider: ChannelProvider;
  templateOnly: boolean;
  /** The placeholders' values for this conversation and writer. */
  values: Readonly<Record<TemplatePlaceholder, string>>;
  chosen: TemplateDto | undefined;
  /** Shown in the empty search box (the compact composer on a phone hides the label). */
  placeholder?: string;
  onChoose(templateId: string): void;
}) {
  const { t } = useTranslation();
  const ids = { input: useId(), list: useId(), preview: useId() };
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(0);
  const popup = useRef<HTMLDivElement>(null);
  // An opened list is seen whole, also when the search box sits at the bottom of the window.
  useLayoutEffect(() => {
    if (expanded && popup.current) revealBelow(popup.current);
  }, [expanded]);
  const { options, hidden } = useMemo(
    () => offeredTemplates(templates, provider, templateOnly),
    [templates, provider, templateOnly],
  );
  const shown = useMemo(() => searchTemplates(options, search), [options, search]);
  const activeIndex = Math.min(active, shown.length - 1);
  const pointed = expanded ? shown[activeIndex] : undefined;
  /** The text as it would be sent, the writer's own slots shown by name. */
  const filled = (template: TemplateDto) =>
    renderTemplate(
      template.body,
      values,
      Object.fromEntries(
        template.inputs.map((name) => [name, t('composer.slotPlaceholder', { name })]),
      ),
    );

  const choose = (option: TemplateOption) => {
    onChoose(option.template.id);
    setSearch('');
    setExpanded(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!expanded) {
        setExpanded(true);
        return;
      }
      if (shown.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + shown.length) % shown.length);
    } else if (event.key === 'Enter') {
      if (!expanded || !pointed) return;
      event.preventDefault();
      choose(pointed);
    } else if (event.key === 'Escape' && (expanded || search)) {
      event.preventDefault();
      if (expanded) setExpanded(false);
      else setSearch('');
    }
  };

  return (
    <div className="template-picker">
      {chosen && (
        <p className="template-chosen">
          <span>{t('composer.chosen', { name: chosen.name })}</span>
          {!templateOnly && (
            <button type="button" className="button button-quiet" onClick={() => onChoose('')}>
              {t('composer.withoutTemplate')}
            </button>
          )}
        </p>
      )}
      <label className="field-label" htmlFor={ids.input}>
        {chosen ? t('composer.otherTemplate') : t('composer.search')}
      </label>
      <input
        id={ids.input}
        type="search"
        role="combobox"
        className="template-search"
        autoComplete="off"
        maxLength={TEMPLATE_SEARCH_MAX}
        placeholder={placeholder}
        value={search}
        aria-expanded={expanded}
        aria-controls={ids.list}
        aria-autocomplete="list"
        aria-activedescendant={pointed ? `${ids.list}-${activeIndex}` : undefined}
        {...(templateOnly ? { 'data-composer-focus': '' } : {})}
        onChange={(event) => {
          setSearch(event.target.value);
          setActive(0);
          setExpanded(true);
        }}
        onFocus={() => setExpanded(true)}
        onClick={() => setExpanded(true)}
        onBlur={() => setExpanded(false)}
        onKeyDown={onKeyDown}
      />
      <div className="template-popup" hidden={!expanded} ref={popup}>
        <ul id={ids.list} role="listbox" aria-label={t('composer.templates')}>
          {shown.map((option, index) => (
            <li
              key={option.template.id}
              id={`${ids.list}-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              className={`template-option${index === activeIndex ? ' template-option-active' : ''}`}
              // Before the search box's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(option);
              }}
              onMouseMove={() => index !== activeIndex && setActive(index)}
            >
              <span className="template-option-name">{option.template.name}</span>
              {!option.toneOk && (
                <span className="template-tone-bad">{t('composer.toneNotOk')}</span>
              )}
              <span className="template-option-text">{filled(option.template)}</span>
            </li>
          ))}
        </ul>
        {shown.length === 0 && <p className="muted">{t('composer.noTemplates')}</p>}
        {pointed && (
          <section className="template-preview" aria-labelledby={ids.preview}>
            <h4 id={ids.preview}>{t('composer.templatePreview')}</h4>
            <p>{filled(pointed.template)}</p>
          </section>
        )}
      </div>
      {hidden > 0 && <p className="muted">{t('composer.hiddenNotOk', { count: hidden })}</p>}
    </div>
  );
}
