// Copies the Earth image (NASA Blue Marble derived, shipped in the three-globe npm package, MIT) into public/,
// so that the built site serves it itself: no map-tile service, no CDN.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("public", { recursive: true });
copyFileSync("node_modules/three-globe/example/img/earth-day.jpg", "public/earth-day.jpg");
