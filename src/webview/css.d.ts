// esbuild bundles .css files as text (loader "css": "text" in esbuild.mjs); main.ts injects it.
declare module "*.css" {
  const text: string;
  export default text;
}
