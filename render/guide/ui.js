// The guide's page: one question at a time in the engine's order, the diagram with the path,
// back / restart / share, export and params. Every tree text is set with textContent (or as
// an attribute value), never parsed as HTML; the diagram is Graphviz's SVG, parsed as XML and
// stripped of anything that could run.
"use strict";

(() => {
  const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
  const plan = GT.loadPlan(readJson("gatetree-plan"));
  const meta = readJson("gatetree-meta");
  const svgText = readJson("gatetree-svg");
  const $ = (id) => document.getElementById(id);

  window.gatetreeDecide = (facts, params) => GT.decide(plan, facts, params);
  window.gatetreeEvaluate = (expression, names, unknown) =>
    GT.evaluateJson(expression, names, unknown);

  // --- small DOM helpers (text only) -------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }
  const clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); };
  let uid = 0;
  const freshId = (stem) => `gt-${stem}-${++uid}`;

  function announce(text) {
    const live = $("gt-live");
    live.textContent = "";
    window.setTimeout(() => { live.textContent = text; }, 30);
  }

  // --- state: the answers in order, and the params changed (both as text) ------------
  let answers = [];  // [[fact, text]] in the order given; a later answer wins
  let overrides = new Map(Object.entries(meta.params || {}));
  let lastActions = 0;
  let lastQuestion = "";

  function readFragment() {
    const hash = window.location.hash.replace(/^#/, "");
    if (!hash) return;
    const parts = new URLSearchParams(hash);
    try {
      if (parts.has("a")) {
        answers = JSON.parse(parts.get("a")).filter((a) => Array.isArray(a)
          && typeof a[0] === "string" && typeof a[1] === "string").map((a) => [a[0], a[1]]);
      }
      if (parts.has("p")) {
        const given = JSON.parse(parts.get("p"));
        overrides = new Map(Object.entries(given).filter(([, v]) => typeof v === "string"));
      }
    } catch (e) {
      answers = [];
    }
  }

  function writeFragment() {
    const parts = new URLSearchParams();
    if (answers.length) parts.set("a", JSON.stringify(answers));
    if (overrides.size) parts.set("p", JSON.stringify(Object.fromEntries(overrides)));
    const hash = parts.toString();
    const url = window.location.href.replace(/#.*$/, "") + (hash ? `#${hash}` : "");
    try {
      window.history.replaceState(null, "", url);
    } catch (e) {
      window.location.hash = hash;
    }
  }

  function typedMap(declared, given) {
    const out = new Map();
    for (const [name, text] of given) {
      const decl = declared.get(name);
      if (!decl) continue;
      const value = GT.textToValue(decl, text);
      if (value !== null) out.set(name, value);
    }
    return out;
  }

  function decideWith(list) {
    const facts = typedMap(plan.facts, list);
    try {
      return { run: GT.run(plan, facts, typedMap(plan.params, overrides)), facts };
    } catch (e) {
      if (e instanceof GT.EvaluationError || e instanceof GT.InputError) {
        return { error: e.message, facts };
      }
      throw e;
    }
  }

  // --- the walk ------------------------------------------------------------------------
  function askingRun(run) {
    let current = run;
    for (const call of run.missing.via) current = current.subs.get(call);
    return current;
  }

  function render() {
    const state = decideWith(answers);
    writeFragment();
    renderParams();
    const card = $("gt-question"), outcome = $("gt-outcome"), problem = $("gt-problem");
    problem.hidden = true;
    if (state.error) {
      card.hidden = true;
      outcome.hidden = true;
      problem.hidden = false;
      $("gt-problem-text").textContent = state.error;
      announce(`The tree cannot decide: ${state.error}`);
      renderExport(state.facts);
      return;
    }
    const run = state.run;
    renderSteps(run);
    renderActions(run);
    renderDiagram(run);
    renderExport(state.facts);
    $("gt-back").disabled = answers.length === 0;
    if (run.outcome) {
      card.hidden = true;
      renderOutcome(run);
      outcome.hidden = false;
      lastQuestion = "";
      announce(`Outcome: ${fill(run.outcome.title, run.params)}. `
        + fill(run.outcome.action, run.params));
    } else {
      outcome.hidden = true;
      renderQuestion(run);
      card.hidden = false;
    }
  }

  const fill = GT.fill;

  function renderQuestion(run) {
    const asker = askingRun(run);
    const missing = run.missing;
    const node = asker.plan.nodes.get(missing.node);
    const fact = asker.plan.facts.get(missing.fact);
    const params = asker.params;
    const card = $("gt-question");
    clear(card);
    const heading = el("h2", { id: "gt-question-title", tabindex: "-1",
      text: fill(node.title || node.id, params) });
    card.append(heading);
    if (missing.via.length) {
      card.append(el("p", { class: "gt-via", text: `In the called tree: ${asker.plan.tree.title}` }));
    }
    const nodeQuestion = fill(node.question, params);
    if (nodeQuestion && nodeQuestion !== missing.question) {
      card.append(el("p", { class: "gt-lead", text: nodeQuestion }));
    }
    if (node.help) card.append(el("p", { class: "gt-help", text: fill(node.help, params) }));
    const hintId = freshId("hint");
    const ask = el("fieldset", { class: "gt-ask" },
      el("legend", { text: missing.question }));
    if (fact.help) ask.append(el("p", { class: "gt-help", id: hintId, text: fill(fact.help, params) }));
    if (missing.derivable_from.length) {
      card.append(measurementForm(asker, missing, params));
      ask.classList.add("gt-direct");
      ask.prepend(el("p", { class: "gt-or", text: "Or answer directly:" }));
    }
    ask.append(answerControls(node, missing.fact, fact, params, fact.help ? hintId : null));
    card.append(ask);
    if (node.cites && node.cites.length) card.append(citations(node.cites));
    if (node.kind === "checklist") {
      const at = node.items.findIndex((i) => i.fact === missing.fact);
      const group = node.groups[node.items[at].group];
      heading.after(el("p", { class: "gt-progress",
        text: `Item ${at + 1} of ${node.items.length} · ${fill(group.title, params)}` }));
    }
    const last = lastStep(run);
    if (last) card.prepend(el("p", { class: "gt-last", text: last }));
    const key = `${missing.node}|${missing.fact}|${answers.length}`;
    if (key !== lastQuestion) {
      lastQuestion = key;
      announce(`${last ? `${last} ` : ""}Question: ${heading.textContent}. ${missing.question}`);
      if (answers.length) {
        card.scrollIntoView({ block: "start" });
        heading.focus({ preventScroll: true });
      }
    }
  }

  // What the last answer decided: the step it settled, with a derived answer's values.
  function lastStep(run) {
    const step = run.steps[run.steps.length - 1];
    if (!step || !answers.length) return "";
    const node = plan.nodes.get(step.node);
    const derived = step.reads.map((n) => derivation(run, n)).filter(Boolean);
    return `${fill(node.title || node.id, run.params)} → ${taken(run, step)}${
      derived.length ? ` (${derived.join("; ")})` : ""}.`;
  }

  function citations(cites) {
    return el("details", { class: "gt-cites" }, el("summary", { text: "What the source says" }),
      el("ul", {}, ...cites.map((c) => el("li", {}, el("q", { text: c })))));
  }

  function answerOf(name, text) {
    answers.push([name, text]);
    render();
  }

  function exitFor(node, factName, value) {
    if (!node.exits || node.fact !== factName) return null;
    return node.exits.find((e) => e.kind === "when" && e.$value === value) || null;
  }

  function answerControls(node, name, fact, params, describedBy) {
    const box = el("div", { class: "gt-answers" });
    const choices = fact.type === "boolean" ? [[true, "true", "Yes"], [false, "false", "No"]]
      : fact.type === "enum" ? fact.values.map((v) => [v, v, v]) : null;
    if (choices) {
      for (const [value, text, plain] of choices) {
        const exit = exitFor(node, name, value);
        const label = exit ? fill(exit.label, params) : plain;
        const descId = freshId("looks");
        const button = el("button", { type: "button", class: "gt-choice",
          "data-value": text, "aria-describedby": exit && exit.looks_like ? descId : describedBy,
          onclick: () => answerOf(name, text) }, el("span", { class: "gt-choice-label", text: label }),
        fact.type === "enum" && label !== plain
          ? el("span", { class: "gt-choice-value", text: ` (${plain})` }) : null);
        const option = el("div", { class: "gt-option" }, button);
        if (exit && exit.looks_like) {
          option.append(el("p", { class: "gt-looks", id: descId },
            el("span", { class: "gt-looks-head", text: `What ${label} looks like: ` }),
            document.createTextNode(fill(exit.looks_like, params))));
        }
        box.append(option);
      }
      return box;
    }
    box.append(valueForm([[name, fact]], params, "Next", describedBy));
    return box;
  }

  function measurementForm(asker, missing, params) {
    const fields = missing.derivable_from.map((n) => [n, asker.plan.facts.get(n)]);
    const derived = asker.plan.facts.get(missing.fact);
    const section = el("div", { class: "gt-measure" },
      el("p", { class: "gt-measure-head",
        text: `Give the measurements; the answer is worked out as ${derived.derive_text.trim()}` }));
    section.append(valueForm(fields, params, "Work it out", null));
    return section;
  }

  function valueForm(fields, params, submit, describedBy) {
    const error = el("p", { class: "gt-error", role: "alert" });
    const form = el("form", { class: "gt-form", novalidate: true });
    const inputs = [];
    for (const [name, decl] of fields) {
      const id = freshId("field");
      const label = el("label", { for: id, text: fill(decl.question, params) });
      let input;
      if (decl.type === "boolean" || decl.type === "enum") {
        input = el("select", { id, name, required: true },
          el("option", { value: "", text: "Choose…" }),
          ...(decl.type === "boolean" ? [["true", "Yes"], ["false", "No"]]
            : decl.values.map((v) => [v, v])).map(([v, t]) => el("option", { value: v, text: t })));
      } else {
        input = el("input", { id, name, type: "text", required: true, autocomplete: "off",
          inputmode: decl.type === "string" ? null : "decimal",
          "aria-describedby": describedBy });
      }
      const row = el("div", { class: "gt-field" }, label,
        el("div", { class: "gt-input-row" }, input,
          decl.unit ? el("span", { class: "gt-unit", text: decl.unit }) : null));
      form.append(row);
      inputs.push([name, decl, input]);
    }
    form.append(el("button", { type: "submit", class: "gt-primary", text: submit }), error);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const given = [];
      for (const [name, decl, input] of inputs) {
        const text = input.value.trim();
        if (!text || GT.textToValue(decl, text) === null) {
          error.textContent = `${name}: enter ${decl.type === "integer" ? "a whole number"
            : decl.type === "number" ? "a number" : "a value"}`;
          input.setAttribute("aria-invalid", "true");
          input.focus();
          return;
        }
        given.push([name, text]);
      }
      answers.push(...given);
      render();
    });
    return form;
  }

  // --- what the walk has done so far ---------------------------------------------------
  function showFact(run, name) {
    return GT.showValue(run.value(name), true);
  }

  function derivation(run, name) {
    const how = run.how.get(name);
    if (!Array.isArray(how)) return null;
    const fact = run.plan.facts.get(name);
    const inputs = how.map((n) => `${n} = ${showFact(run, n)}`).join(", ");
    const settled = run.settled.has(name)
      ? `, settled by \`${run.settled.get(name)}\` while other inputs are unknown` : "";
    return `${name} = ${showFact(run, name)}, from ${fact.derive_text.trim()} with ${inputs}`
      + settled;
  }

  // The branch label, and the operand that settled its condition past an unknown fact
  // (as render/wording.py says it).
  function taken(run, step) {
    const node = plan.nodes.get(step.node);
    const by = run.settled.get(`${step.node}#${step.exit}`);
    return fill(node.exits[step.exit].label, run.params)
      + (by === undefined ? "" : ` (settled by \`${by}\` while other facts are unknown)`);
  }

  function renderSteps(run) {
    const list = $("gt-steps");
    clear(list);
    for (const step of run.steps) {
      const node = plan.nodes.get(step.node);
      const button = el("button", { type: "button", class: "gt-step-link",
        "aria-label": `Go back to: ${fill(node.title || node.id, run.params)}`,
        onclick: () => goBackTo(step.node) },
      el("span", { class: "gt-step-title", text: fill(node.title || node.id, run.params) }),
      el("span", { class: "gt-step-answer", text: ` → ${taken(run, step)}` }));
      const item = el("li", {}, button);
      for (const name of step.reads) {
        const line = derivation(run, name);
        if (line) item.append(el("p", { class: "gt-derived", text: line }));
      }
      list.append(item);
    }
    $("gt-steps-panel").hidden = run.steps.length === 0;
  }

  function renderActions(run) {
    const list = $("gt-actions");
    clear(list);
    run.actions.forEach(([, text], i) => {
      list.append(el("li", { class: i >= lastActions ? "gt-new" : null, text }));
    });
    if (run.actions.length > lastActions) {
      announce(`Action added: ${run.actions[run.actions.length - 1][1]}`);
    }
    lastActions = run.actions.length;
    $("gt-actions-panel").hidden = run.actions.length === 0;
  }

  function renderOutcome(run) {
    const o = run.outcome, p = run.params, card = $("gt-outcome");
    clear(card);
    card.append(el("p", { class: "gt-kicker", text: "Outcome" }),
      el("h2", { id: "gt-outcome-title", tabindex: "-1", text: fill(o.title, p) }),
      el("p", { class: "gt-action", text: fill(o.action, p) }));
    if (o.why) card.append(el("h3", { text: "Why" }), el("p", { text: fill(o.why, p) }));
    if (o.next_steps.length) {
      card.append(el("h3", { text: "Next steps" }),
        el("ol", {}, ...o.next_steps.map((s) => el("li", { text: fill(s, p) }))));
    }
    if (o.references.length) {
      card.append(el("h3", { text: "References" }), el("ul", {}, ...o.references.map((r) => {
        const safe = /^https?:\/\//i.test(r.url || "");
        const title = safe ? el("a", { href: r.url, rel: "noopener noreferrer", text: r.title })
          : el("span", { text: r.title });
        return el("li", {}, title, r.note ? el("span", { text: ` — ${r.note}` }) : null);
      })));
    }
    if (o.notes) card.append(el("p", { class: "gt-help", text: fill(o.notes, p) }));
    if (o.cites && o.cites.length) card.append(citations(o.cites));
    if (answers.length) window.setTimeout(() => $("gt-outcome-title").focus(), 0);
  }

  function goBackTo(nodeId) {
    for (const exact of [true, false]) {
      for (let k = 0; k <= answers.length; k++) {
        const state = decideWith(answers.slice(0, k));
        if (!state.run) continue;
        const path = state.run.path;
        const here = exact ? state.run.missing && path[path.length - 1] === nodeId
          : path.includes(nodeId);
        if (here) {
          answers = answers.slice(0, k);
          render();
          return;
        }
      }
    }
  }

  // --- the diagram -------------------------------------------------------------------
  let svg = null;
  const svgNodes = new Map(), svgEdges = new Map();

  function loadDiagram() {
    const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
    const root = doc.documentElement;
    if (!root || root.nodeName !== "svg") return;
    for (const bad of root.querySelectorAll("script, foreignObject, iframe, object, embed")) {
      bad.remove();
    }
    for (const node of root.querySelectorAll("*")) {
      for (const attr of [...node.attributes]) {
        const name = attr.name.toLowerCase();
        const value = attr.value.trim().toLowerCase();
        if (name.startsWith("on") || ((name === "href" || name.endsWith(":href"))
            && !value.startsWith("#"))) {
          node.removeAttribute(attr.name);
        }
      }
    }
    svg = document.importNode(root, true);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `Diagram of ${plan.tree.title}`);
    for (const g of svg.querySelectorAll("g[id]")) {
      const id = g.getAttribute("id");
      g.setAttribute("data-id", id);
      g.setAttribute("id", `gtd-${id}`);
      const cls = g.getAttribute("class") || "";
      if (/\bnode\b/.test(cls)) svgNodes.set(id, g);
      else if (/\bedge\b/.test(cls)) svgEdges.set(id, g);
    }
    for (const [id, g] of svgNodes) {
      const go = () => { if (g.classList.contains("gt-visited")) goBackTo(id); };
      g.addEventListener("click", go);
      g.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); go(); }
      });
    }
    $("gt-diagram").append(svg);
  }

  function renderDiagram(run) {
    if (!svg) return;
    const onPath = new Set(run.path);
    const taken = new Set(run.steps.map((s) => `${s.node}.${s.exit}`));
    const current = run.outcome ? null : run.path[run.path.length - 1];
    for (const [id, g] of svgNodes) {
      const visited = onPath.has(id);
      g.classList.toggle("gt-path", visited);
      g.classList.toggle("gt-current", id === current);
      const back = visited && run.steps.some((s) => s.node === id);
      g.classList.toggle("gt-visited", back);
      if (back) {
        const node = plan.nodes.get(id);
        g.setAttribute("tabindex", "0");
        g.setAttribute("role", "button");
        g.setAttribute("aria-label", `Go back to: ${fill(node.title || id, run.params)}`);
      } else {
        g.removeAttribute("tabindex");
        g.removeAttribute("role");
        g.removeAttribute("aria-label");
      }
    }
    for (const [id, g] of svgEdges) g.classList.toggle("gt-taken", taken.has(id));
  }

  // --- export --------------------------------------------------------------------------
  function literal(value, json) {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "number") return GT.floatRepr(value);
    if (typeof value === "boolean") return value ? "true" : "false";
    return JSON.stringify(value);
  }

  function shellQuote(text) {
    return /^[A-Za-z0-9_./=@:+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
  }

  function renderExport(facts) {
    const entries = [...facts];
    const yaml = entries.length ? entries.map(([k, v]) => `${k}: ${literal(v)}`).join("\n") + "\n"
      : "{}\n";
    const json = `{${entries.map(([k, v]) => `\n  ${JSON.stringify(k)}: ${literal(v, true)}`)
      .join(",")}${entries.length ? "\n" : ""}}\n`;
    const command = ["gatetree", "decide", meta.reference, "--facts", "facts.yaml",
      ...[...overrides].flatMap(([k, v]) => ["--param", `${k}=${v}`])].map(shellQuote).join(" ");
    $("gt-export-yaml").textContent = yaml;
    $("gt-export-json").textContent = json;
    $("gt-export-command").textContent = command;
    $("gt-download-yaml").setAttribute("href",
      `data:text/yaml;charset=utf-8,${encodeURIComponent(yaml)}`);
    $("gt-download-json").setAttribute("href",
      `data:application/json;charset=utf-8,${encodeURIComponent(json)}`);
  }

  // --- params ----------------------------------------------------------------------------
  let paramsBuilt = false;
  function renderParams() {
    const form = $("gt-params-form");
    if (!paramsBuilt) {
      paramsBuilt = true;
      if (!plan.params.size) {
        $("gt-params-panel").hidden = true;
        return;
      }
      for (const [name, decl] of plan.params) {
        const id = `gt-param-${name}`, helpId = `gt-param-help-${name}`;
        const shown = GT.showValue(plan.defaults.get(name), false);
        const input = decl.type === "boolean"
          ? el("select", { id, name, "aria-describedby": helpId },
            el("option", { value: "true", text: "true" }), el("option", { value: "false", text: "false" }))
          : el("input", { id, name, type: "text", autocomplete: "off", "aria-describedby": helpId });
        input.value = overrides.has(name) ? overrides.get(name) : shown;
        input.addEventListener("change", () => {
          const text = input.value.trim();
          if (GT.textToValue(decl, text) === null) {
            input.setAttribute("aria-invalid", "true");
            $("gt-params-error").textContent = `${name}: not a valid ${decl.type}`;
            return;
          }
          input.removeAttribute("aria-invalid");
          $("gt-params-error").textContent = "";
          if (text === shown) overrides.delete(name); else overrides.set(name, text);
          render();
        });
        form.append(el("div", { class: "gt-field" },
          el("label", { for: id }, el("code", { text: name }),
            el("span", { text: ` (${decl.type}, default ${shown})` })),
          input, el("p", { class: "gt-help", id: helpId, text: decl.help })));
      }
    }
    $("gt-params-count").textContent = overrides.size ? ` — ${overrides.size} changed` : "";
  }

  // --- start ---------------------------------------------------------------------------
  document.title = `${plan.tree.title} — guide`;
  $("gt-title").textContent = plan.tree.title;
  $("gt-subtitle").textContent = `${plan.tree.id} ${plan.tree.version}`;
  if (plan.tree.description) $("gt-description").textContent = plan.tree.description;
  else $("gt-about").hidden = true;
  if (/^[A-Za-z0-9._@-]+\.md$/.test(meta.doc || "")) {
    $("gt-doc").setAttribute("href", meta.doc);
    $("gt-doc-line").hidden = false;
  }
  $("gt-back").addEventListener("click", () => { answers.pop(); render(); });
  $("gt-restart").addEventListener("click", () => {
    answers = [];
    lastActions = 0;
    render();
  });
  $("gt-zoom").addEventListener("click", () => {
    const zoomed = $("gt-diagram").classList.toggle("gt-zoomed");
    $("gt-zoom").setAttribute("aria-pressed", String(zoomed));
  });
  window.addEventListener("hashchange", () => {
    answers = [];
    overrides = new Map(Object.entries(meta.params || {}));
    readFragment();
    render();
  });
  readFragment();
  loadDiagram();
  render();
  document.documentElement.setAttribute("data-ready", "true");
})();
