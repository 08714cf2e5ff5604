export const greet = {
  greet(name) {
    return `hello, ${name}`;
  },
};
