// Light and dark follow the system setting (prefers-color-scheme in styles.css).
// RIGHTSDESK_THEME forces one (screenshots, kiosks, Xvfb where the system
// setting cannot be flipped) by setting data-theme on <html>.
export type Theme = "light" | "dark";

export function applyTheme(theme: string | null | undefined) {
  const root = document.documentElement;
  if (theme === "light" || theme === "dark") {
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  } else {
    delete root.dataset.theme;
    root.style.colorScheme = "";
  }
}
