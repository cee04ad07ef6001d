// The report page's Print button (no inline handlers: the CSP allows scripts from 'self' only).
document.getElementById("report-print")?.addEventListener("click", () => window.print());
