// Words the analysis components share (kept apart so they import no component).
export const OLD_MEASUREMENT = "File list unavailable: this image's layers were measured before this version of Slimstage listed files.";
