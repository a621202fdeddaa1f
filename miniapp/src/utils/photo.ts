// Photos are made smaller on the phone before upload: a 12-megapixel camera shot becomes a JPEG of
// at most 1600 px on its long side (a few hundred KB on a mobile network instead of several MB).

export const PHOTO_MAX_SIDE = 1600;
export const PHOTO_QUALITY = 0.85;

/** The size to draw a width × height picture at: the long side at most `max`, proportions kept, never enlarged. */
export function fitWithin(width: number, height: number, max = PHOTO_MAX_SIDE): { width: number; height: number } {
  if (!(width > 0 && height > 0)) return { width: 0, height: 0 };
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The picture resized through a canvas into a JPEG; a file the browser cannot decode is returned as it is (the server judges it). */
export async function resizePhoto(file: File, max = PHOTO_MAX_SIDE): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  const size = fitWithin(bitmap.width, bitmap.height, max);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) return file;
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  return new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob ?? file), 'image/jpeg', PHOTO_QUALITY));
}
