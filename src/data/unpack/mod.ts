/**
 * Unpacking a verified download (zip, tar.gz, gz or none) into a staging folder, streaming.
 *
 * @module
 */

export { unpackFile, type UnpackOptions } from "./unpack.ts";
