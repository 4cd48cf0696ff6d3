/**
 * "a" or "an" before a noun, by its sound: "an asset", "a unit of measure", "a user".
 * Shared by the Makini node's action names and the trigger's event descriptions.
 */
const VOWEL_SOUND = /^[aeiou]/i;
// Written with a vowel, said with a "y" or "w" first.
const CONSONANT_SOUND = /^(uni|use|usa|usu|uti|eu|one)/i;

export function withArticle(noun: string): string {
	return VOWEL_SOUND.test(noun) && !CONSONANT_SOUND.test(noun) ? `an ${noun}` : `a ${noun}`;
}
