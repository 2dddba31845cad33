// NHS number check (modulus 11, NHS Data Dictionary), the same rule the server applies (NhsNumbers.IsValid): the page
// checks so a mistyped number is caught at the field, before anything is sent; the server still decides.

/** The number without spaces, or "" when nothing was typed. "943 476 5919" → "9434765919". */
export function normaliseNhsNumber(text) {
  return String(text ?? "").replace(/\s/g, "");
}

/** True for ten digits whose last is the modulus 11 check digit of the first nine (a check of 10 is never valid). */
export function isValidNhsNumber(text) {
  const digits = normaliseNhsNumber(text);
  if (!/^[0-9]{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === Number(digits[9]);
}

/** Why the typed number cannot be stored, or null when it can (an empty field is allowed: not known yet). */
export function nhsNumberProblem(text) {
  const digits = normaliseNhsNumber(text);
  if (digits === "") return null;
  if (!/^[0-9]+$/.test(digits)) return "An NHS number has digits only.";
  if (digits.length !== 10) return `An NHS number has 10 digits; this has ${digits.length}.`;
  return isValidNhsNumber(digits) ? null : "This is not a valid NHS number: the last digit does not match the check. Check it against the person's letter or record.";
}
