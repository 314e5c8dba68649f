// GET /ping: nothing. GET /d1: one D1 read (`SELECT 1`), nothing else. See wrangler.toml.
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/ping") return new Response("pong");
    if (pathname === "/d1") {
      const row = await env.DB.prepare("SELECT 1 AS one").first();
      return new Response(String(row.one));
    }
    return new Response("not found", { status: 404 });
  },
};
