// The 2D map of the earth-bound domains (#/map): the layers the server registers (kompas.services.map), drawn
// with MapLibre GL from GeoJSON computed for the signed-in user. The map code and MapLibre (about 1 MB) load only
// when this page opens (a separate chunk), so the other pages do not pay for them. See ../map/view.js.
export async function renderMap(view) {
  const { mountMap } = await import("../map/view.js");
  return mountMap(view);
}
