import { esc, signIn } from "../api.js";

export async function renderSignin(view) {
  view.innerHTML = `
    <section class="signin card">
      <h1>Sign in</h1>
      <p class="muted">Use the API token your administrator gave you (<code>kompas admin add-user</code>). It stays in
      this browser tab only.</p>
      <form id="signin-form">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
        <p id="signin-error" class="error" role="alert"></p>
      </form>
    </section>`;
  const form = view.querySelector("#signin-form");
  view.querySelector("#token").focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await signIn(form.token.value.trim());
      location.hash = "#/globe";
    } catch (error) {
      view.querySelector("#signin-error").textContent = `Sign-in failed: ${esc(error.message)}`;
    }
  });
}
