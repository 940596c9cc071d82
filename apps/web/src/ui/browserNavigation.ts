/** Leaving the web app for a page the API serves (an object, so that tests can watch it). */
export const browserNavigation = {
  assign(url: string): void {
    window.location.assign(url);
  },
};
