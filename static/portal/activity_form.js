/* The activity form: outcome rows added on the page, and the participant picker.
   Without scripts the form still works: two empty outcome rows come with every page and the
   participants are a plain multiple select grouped by zone. */
(function () {
  "use strict";

  // Outcomes: a new row is a copy of the formset's empty form.
  const addButton = document.getElementById("add-outcome");
  if (addButton) {
    const total = document.getElementById("id_outcomes-TOTAL_FORMS");
    const max = Number(document.getElementById("id_outcomes-MAX_NUM_FORMS").value);
    const template = document.getElementById("outcome-template");
    const rows = document.getElementById("outcome-rows");
    const full = () => Number(total.value) >= max;
    addButton.hidden = false;
    addButton.disabled = full();
    addButton.addEventListener("click", function () {
      if (full()) return;
      const index = Number(total.value);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
      total.value = String(index + 1);
      rows.lastElementChild.querySelector("input").focus();
      addButton.disabled = full();
    });
  }

  // Participants: searchable by name or pinyin initials through the portal's own search,
  // grouped by zone, partner organizations last and marked; checkboxes big enough for a thumb.
  const select = document.querySelector("select.participant-picker");
  if (!select || !window.TomSelect) return;
  const url = select.dataset.searchUrl;
  const partnerLabel = select.dataset.partnerLabel || "";
  const found = new Map(); // query -> the ids the portal's search matched
  const picker = new window.TomSelect(select, {
    plugins: { checkbox_options: {}, remove_button: { title: select.dataset.removeLabel || "" } },
    maxOptions: null,
    closeAfterSelect: false,
    hideSelected: false,
    placeholder: select.dataset.placeholder || "",
    loadThrottle: 200,
    shouldLoad: (query) => query.trim().length > 0,
    load: function (query, callback) {
      fetch(url + "?q=" + encodeURIComponent(query.trim()), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : { ids: [] }))
        .then((data) => {
          found.set(query, new Set(data.ids.map(String)));
          callback();
        })
        .catch(() => callback());
    },
    score: function (query) {
      const text = query.trim();
      return function (item) {
        if (!text) return 1;
        const ids = found.get(query);
        if (ids) return ids.has(String(item.value)) ? 1 : 0;
        return item.text.indexOf(text) >= 0 ? 1 : 0; // until the search answers
      };
    },
    render: {
      option: function (data, escape) {
        const mark = data.partner ? ' <span class="badge text-bg-info partner-mark">' + escape(partnerLabel) + "</span>" : "";
        return "<div>" + escape(data.text) + mark + "</div>";
      },
      item: function (data, escape) {
        const mark = data.partner ? ' <span class="badge text-bg-info partner-mark">' + escape(partnerLabel) + "</span>" : "";
        return "<div>" + escape(data.text) + mark + "</div>";
      },
    },
  });
  select.dataset.picker = "ready";
  window.participantPicker = picker;
})();
